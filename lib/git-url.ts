/** The Git URL forms accepted for repositories: https://, ssh:// or scp-like git@. */
export const GIT_URL = /^(https:\/\/|ssh:\/\/|git@)[^\s]+$/;
