export { Authenticator, isDisabled, type AccountLookup, type AuthenticatorOptions, type LoginResult } from './authenticator.js';
export { VerifiedCache, type VerifiedCacheOptions } from './cache.js';
export {
  DEFAULT_SCRYPT, hashPassword, needsRehash, parseHash, PasswordTooLongError, verifyPassword, type ScryptParams,
} from './password.js';
export {
  decodeBase64, decodeLoginStep, decodePlain, LOGIN_PROMPTS, parseSaslMechanism, SASL_MECHANISMS, SaslExchange,
  type Credentials, type SaslMechanism, type SaslStep,
} from './sasl.js';
export { accountKey, ipKey, LoginThrottle, type ThrottleOptions } from './throttle.js';
export { isTrusted } from './trust.js';
