export { hashPassword, verifyPassword, parsePasswordHash, DEFAULT_SCRYPT, type ScryptParams } from './password-hash.ts';
export {
  SCRAM_METHOD,
  DEFAULT_SCRAM_ITERATIONS,
  deriveScramCredentials,
  formatScramCredentials,
  parseScramCredentials,
  type ScramCredentials,
} from './scram-crypto.ts';
export { ScramClient } from './scram-client.ts';
export { createScramMechanism, type ScramLookup } from './scram-mechanism.ts';
export { createAclAuthorizer, substitute, type AclRule, type AclAccess } from './acl.ts';
export { patternMatchesTopic, patternCoversFilter, stripSharePrefix } from './topic-match.ts';
export { UserStore, createUserAuthenticator, type UserRecord } from './users.ts';
export { makeUserRecord } from './make-user.ts';
