import hostJson from '../host.json';

/** The app's host.json: the Functions host reads it on Azure, the local host reads the same settings. */
export const hostSettings = hostJson;
