/** The ADF half of the embedded sandbox. */
export { DataFactoryService, startDataFactoryServer, ADF_API_VERSION, type RunningDataFactoryServer } from './arm-routes';
export { ArmRequestError } from './arm-error';
export { FactoryEngine } from './pipeline-runner';
export * from './types';
