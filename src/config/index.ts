export { ConfigError, defaultConfig, loadConfig, parseConfig, systemHostname, type LoadOptions, type ParseOptions } from './load.js';
export { parseListenAddress } from './listen.js';
export { cidrContains, isLoopback, parseCidr, parseIp, sameAddress, type Cidr } from './ip.js';
export {
  ALL_ADDRESSES, defaultListen, DMARC_REJECT_ACTIONS, formatAddress, LISTENER_NAMES, LISTENER_TLS, LOG_LEVELS, STANDARD_PORTS,
  type Config, type DmarcRejectAction, type ListenAddress, type ListenerName,
} from './schema.js';
