// After tsc (npm run build): the files beside the sources that modules read at run time by a path
// relative to themselves (the demo's pug view, the common-password list) go to the same place in dist/.
import { cpSync } from 'node:fs';

cpSync('src', 'dist', { recursive: true, filter: (path) => !path.endsWith('.ts') });
