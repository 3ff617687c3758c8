/**
 * A JSON answer as tests read it: loosely (`body.error.code`), with the assertions checking its shape. The
 * no-unsafe-* rules are off for tests for this reason (eslint.config.js); this is the one place the type is named.
 */
// oxlint-disable-next-line typescript/no-explicit-any -- tests read JSON answers loosely on purpose, see above
export type Json = any;
