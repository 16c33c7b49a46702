// A user-agent string as a practice manager reads it: "Chrome 131 on Windows 10", "Safari 17 on
// iOS 17.4". Parsed by bowser (a kept, dependency-free parser); a program it cannot name is shown
// by the first words of its string. The whole string stays in the CSV export.
import Bowser from 'bowser';
import { t } from '../../i18n/request.js';

export function browserAndSystem(userAgent: string | null | undefined): string {
  if (!userAgent) return '';
  const { browser, os } = Bowser.parse(userAgent);
  const major = browser.version?.split('.')[0];
  const browserText = browser.name ? `${browser.name}${major ? ` ${major}` : ''}` : '';
  const osVersion = os.versionName ?? os.version;
  const osText = os.name ? `${os.name}${osVersion ? ` ${osVersion}` : ''}` : '';
  if (browserText && osText) return t('audit:agent.on', { browser: browserText, system: osText });
  if (browserText || osText) return browserText || t('audit:agent.program_on', { system: osText });
  return t('audit:agent.other', { agent: `${userAgent.slice(0, 40)}${userAgent.length > 40 ? '…' : ''}` });
}
