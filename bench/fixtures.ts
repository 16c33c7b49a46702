// Names both benchmark servers share, so the driver treats them alike.
export const BENCH_PASSWORD = 'bench-password-0123456789';
export const BENCH_REDIRECT = 'http://127.0.0.1:9/callback';
export const BENCH_CLIENT = 'bench-module';
