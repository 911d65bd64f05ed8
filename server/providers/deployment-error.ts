/**
 * A model_list entry that cannot be called as written, with the path of the key to fix
 * (`model_list[2].litellm_params.api_base`). Thrown while deployments are built, at load; the router
 * collects them so one error lists every broken entry.
 */
export class DeploymentError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
    this.name = 'DeploymentError';
  }
}
