// Parts of the File System Access API that Chromium ships and TypeScript's DOM library does not declare yet.

interface FileSystemHandlePermissionDescriptor {
  mode?: 'read' | 'readwrite';
}

interface FileSystemHandle {
  queryPermission(descriptor?: FileSystemHandlePermissionDescriptor): Promise<PermissionState>;
  requestPermission(descriptor?: FileSystemHandlePermissionDescriptor): Promise<PermissionState>;
}

interface DataTransferItem {
  /** Chromium: the dropped file or folder as a handle that can be kept (in IndexedDB) and reopened. */
  getAsFileSystemHandle?(): Promise<FileSystemHandle | null>;
}

interface SaveFilePickerOptions {
  suggestedName?: string;
}

interface Window {
  showSaveFilePicker?(options?: SaveFilePickerOptions): Promise<FileSystemFileHandle>;
}

interface DirectoryPickerOptions {
  mode?: 'read' | 'readwrite';
}

interface Window {
  showDirectoryPicker?(options?: DirectoryPickerOptions): Promise<FileSystemDirectoryHandle>;
}
