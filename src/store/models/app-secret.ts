// Secrets generated on a development start (e.g. cookie keys) so they survive restarts.
// Production never uses this: its secrets come from configuration.
import { Schema, type Connection, type Model } from 'mongoose';

export interface AppSecret {
  /** What the secret is for, e.g. 'cookie-keys'. */
  _id: string;
  values: string[];
  createdAt: Date;
}

const schema = new Schema<AppSecret>({
  _id: { type: String, required: true },
  values: { type: [String], required: true },
  createdAt: { type: Date, required: true },
}, { collection: 'app_secrets', versionKey: false });

export type AppSecretModel = Model<AppSecret>;

export function appSecretModel(connection: Connection): AppSecretModel {
  return (connection.models.AppSecret as AppSecretModel | undefined) ?? connection.model<AppSecret>('AppSecret', schema);
}
