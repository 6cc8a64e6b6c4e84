/**
 * Send-buffer bounds for flow control on a data channel: send while under the high-water mark, resume on
 * `bufferedamountlow` at the low-water mark. Measured on these machines, 128-256 KiB buffered beat larger buffers.
 * The raw-channel benchmark uses the same bounds, so it measures the same flow control without Shoal.
 */
export const SEND_BUFFER_HIGH_WATER = 256 * 1024;
export const SEND_BUFFER_LOW_WATER = 128 * 1024;
