/** The ADF half of the embedded sandbox. */
export { DataFactoryService, startDataFactoryServer, ADF_API_VERSION, type RunningDataFactoryServer } from './service';
export { ArmRequestError, FactoryEngine } from './engine';
export * from './types';
