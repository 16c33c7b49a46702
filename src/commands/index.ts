// One function per operator action (Outline's server/commands pattern): each validates, applies,
// audits (intent first, src/audit/change.ts), notifies and ends sessions as the action requires,
// and takes its actor as an argument. The admin pages (src/admin/) and the operator CLI (src/cli/)
// both call these and only translate input and output, so the two surfaces cannot drift apart.
// Each command declares the narrow deps it needs; a surface wires them once as `CommandDeps`.
import type { ClientsDeps } from './clients.js';
import type { CreateUserDeps } from './create-user.js';
import type { ForgetDevicesDeps } from './forget-devices.js';
import type { InviteMemberDeps } from './invite-member.js';
import type { SetMemberActiveDeps } from './set-member-active.js';
import type { EndSessionsDeps } from './end-sessions.js';
import type { PracticeLogoDeps } from './practice-logo.js';
import type { PracticeSecurityDeps } from './practice-security.js';
import type { PasskeySwitchDeps } from './passkey-switches.js';
import type { SetPasswordDeps } from './set-password.js';
import type { TrustedIpsDeps } from './trusted-ips.js';
import type { TwoStepDeps } from './two-step.js';
import type { UnlockUserDeps } from './unlock-user.js';

export type CommandDeps = CreateUserDeps & SetPasswordDeps & UnlockUserDeps & ForgetDevicesDeps & EndSessionsDeps
  & TwoStepDeps & PracticeSecurityDeps & TrustedIpsDeps & InviteMemberDeps & SetMemberActiveDeps
  & PasskeySwitchDeps & PracticeLogoDeps;

/** The operator's commands add client registration (no admin page registers an app). */
export type OperatorCommandDeps = CommandDeps & ClientsDeps;

export { OPERATOR, type Actor, type AdminActor } from './actor.js';
export { registerClient, removeClient, rotateClientSecret } from './clients.js';
export { createUser } from './create-user.js';
export { endAllSessions } from './end-sessions.js';
export { forgetDevices } from './forget-devices.js';
export { invitationDeps } from './invitation-deps.js';
export { cancelInvitation, checkInvitation, inviteMember, resendInvitation } from './invite-member.js';
export { setPracticeLogo } from './practice-logo.js';
export { setPracticeSecurity } from './practice-security.js';
export { setPasswordlessAllowed } from './passwordless-allowed.js';
export { setPhishingResistantRequired } from './phishing-resistant-required.js';
export { setPassword } from './set-password.js';
export { setMemberActive } from './set-member-active.js';
export { addTrustedIp, removeTrustedIp } from './trusted-ips.js';
export { setTwoStep } from './two-step.js';
export { unlockUser } from './unlock-user.js';
