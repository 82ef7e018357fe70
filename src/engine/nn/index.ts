/**
 * Neural networks in the engine: model specs and their validation, data (CSV and generated),
 * a batched network with exact gradients and Hessian-vector products, Lanczos sharpness,
 * optimizers on flat vectors, training runs with the unstable-phase bookkeeping, the
 * edge-of-stability experiment and 2-D slice basin maps. Pure: no I/O, no vscode.
 */
export { ACTIVATIONS, type Activation, type ActivationName } from './activations';
export { CSV_LIMITS, formatCsvError, parseCsv, type CsvColumnRequest, type CsvError, type CsvTable } from './csv';
export { chebyshevT, GENERATORS, loadDataset, type DataSpec } from './data';
export { eosExperiment, EOS_SETUP, summarizeEosRun, type EosExperiment, type EosRunSummary, type EosSetup } from './eos';
export { trainResultJson, trainRunJson, trainRunsCsv, type TrainRunJson } from './export';
export { initParameters, INIT_SCHEMES, type InitScheme, type InitSpec } from './init';
export { Lanczos, type LanczosOptions, type LanczosResult, type MatVec } from './lanczos';
export { LOSSES, type LossName } from './losses';
export { buildModel, matrixFactorizationData, prepareModel, type BuildResult, type BuiltModel, type ModelSummary } from './model';
export { Network, parameterLayout, type Architecture, type Dataset, type ParamBlock } from './network';
export * from './optimizers';
export { TRAIN_LIMITS, validateTrainSettings, type TrainSettings } from './settings';
export { SharpnessMeter, type SharpnessOptions } from './sharpness';
export { classCounts, filterNormalizedDirection, SliceMap, sliceMap, slicePixel, sliceSetup, type SliceOptions, type SlicePlane, type SliceRow, type SliceSetup } from './slices';
export { DEFAULT_SHARPNESS_EVERY, MODEL_KINDS, MODEL_LIMITS, validateModelSpec, type DeepLinearSpec, type MatrixFactorizationSpec, type MlpSpec, type ModelKind, type ModelSpec } from './spec';
export { pathText, type JsonPath, type SpecError, type Validated } from './specCheck';
export { train, TrainingSession, type RunStatus, type TrainOptions, type TrainPartial, type TrainProgress, type TrainResult, type TrainRun } from './train';
