/**
 * A minimal event for the editor's models, which know nothing of VS Code (so that plain-Node unit
 * tests can drive them); the tree providers turn it into `onDidChangeTreeData`.
 */
export class Signal<T = void> {
  private readonly listeners = new Set<(value: T) => void>();

  on(listener: (value: T) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch {
        // One listener's failure must not starve the others (a tree refresh, the status bar).
      }
    }
  }
}
