/** RFC 2595 §4: cleartext passwords are refused before STLS (unless the client address is trusted). */
export const PLAINTEXT_REFUSED = 'Cleartext login is not allowed on this connection: use STLS (or port 995) first';
