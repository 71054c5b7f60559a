// Vitest runs modules outside React's server condition, where `server-only` throws by design.
export {};
