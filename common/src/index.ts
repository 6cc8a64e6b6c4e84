export * from './hex.ts';
export * from './limits.ts';
export * from './manifest.ts';
export * from './protocol.ts';
export * from './result.ts';
export * from './schemas.ts';
export * from './text.ts';
export * from './wire.ts';
