// A SMART EHR launch (src/smart/launch/): the context an EHR module hands one app for one launch.
// `_id` is the SHA-256 of the launch value (the value itself is never stored); single use and a
// short life, both checked by our code (`usableUntil`, `claimedAt`); the TTL only tidies up.
import { Schema, type Connection, type Model, type Types } from 'mongoose';

export interface SmartLaunchContext {
  patient?: string;
  encounter?: string;
  fhirContext?: Record<string, unknown>[];
  need_patient_banner?: boolean;
  smart_style_url?: string;
}

export interface SmartLaunch {
  _id: string;
  /** The app (client_id) the launch is for: another client's authorization request is refused. */
  appClientId: string;
  /** The EHR module that asked for it. */
  ehrClientId: string;
  /** The practice the patient belongs to: the signed-in user must be one of its members (EHR launch only). */
  practiceId?: Types.ObjectId;
  /**
   * Set on a standalone launch's patient-picker state (src/smart/picker/): the `_id` is then the
   * SHA-256 of the state sent to the picker, `ehrClientId` the FHIR server whose picker chose, and
   * the selection is accepted only for this interaction, browser session and user.
   */
  picker?: { interactionUid: string; sessionUid: string; accountId: string };
  context: SmartLaunchContext;
  createdAt: Date;
  usableUntil: Date;
  /** Set by the one authorization request that used it. */
  claimedAt?: Date;
  /** The authorization code that request produced (its jti): the token response reads the context by it. */
  codeId?: string;
  expiresAt: Date;
}

const schema = new Schema<SmartLaunch>({
  _id: { type: String, required: true },
  appClientId: { type: String, required: true },
  ehrClientId: { type: String, required: true },
  practiceId: { type: Schema.Types.ObjectId },
  picker: { type: Schema.Types.Mixed },
  context: { type: Schema.Types.Mixed, required: true },
  createdAt: { type: Date, required: true },
  usableUntil: { type: Date, required: true },
  claimedAt: { type: Date },
  codeId: { type: String, index: { unique: true, sparse: true } },
  expiresAt: { type: Date, required: true },
}, { collection: 'smart_launches', versionKey: false });

schema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export type SmartLaunchModel = Model<SmartLaunch>;

export function smartLaunchModel(connection: Connection): SmartLaunchModel {
  return (connection.models.SmartLaunch as SmartLaunchModel | undefined) ?? connection.model<SmartLaunch>('SmartLaunch', schema);
}
