// A copy is written under this suffix and renamed to its name once it is on disk, so a
// name never holds half a copy; crash recovery removes what a killed run left under it.
export const PARTIAL_SUFFIX = '.logrotor-partial';
