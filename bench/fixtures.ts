// Names both benchmark servers share, so the driver treats them alike.
export const BENCH_PASSWORD = 'Quiet-Harbor-Lantern-0123!';
export const BENCH_REDIRECT = 'http://127.0.0.1:9/callback';
export const BENCH_CLIENT = 'bench-module';
/** A confidential machine-to-machine client (client credentials grant, client_secret_basic). */
export const BENCH_SERVICE_CLIENT = 'bench-service';

export interface ServiceClient {
  clientId: string;
  clientSecret: string;
}
