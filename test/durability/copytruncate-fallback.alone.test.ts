// Same scenarios through the util-linux commands; syscalls() reads this on first use.
import { copytruncateScenarios } from './copytruncate-scenarios.js';

process.env['LOGROTOR_NO_NATIVE'] = '1';
copytruncateScenarios('util-linux');
