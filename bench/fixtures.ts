// Names both benchmark servers share, so the driver treats them alike.
export const BENCH_PASSWORD = 'Quiet-Harbor-Lantern-0123!';
export const BENCH_REDIRECT = 'http://127.0.0.1:9/callback';
export const BENCH_CLIENT = 'bench-module';
