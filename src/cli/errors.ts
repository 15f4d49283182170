/** An error whose message is meant for the person at the terminal: printed as is, exit code 1. */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}
