export { createSecretBox, isSealed, parseKey, SecretBoxError, GENERATED_KEY_FILE } from './secret-box.ts';
export type { SecretBox, SecretBoxOptions } from './secret-box.ts';
