/** Why an edit was refused; the route maps it to 400, 404, 409 or 503. The message is for a person. */
export type ModelEditFailure = 'invalid' | 'not_found' | 'conflict' | 'unavailable';

export class ModelEditError extends Error {
  constructor(
    readonly reason: ModelEditFailure,
    message: string,
  ) {
    super(message);
    this.name = 'ModelEditError';
  }
}
