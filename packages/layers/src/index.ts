export { LayeredBackend, type Layer, type LayeredOptions } from './layered-backend.ts';
export { mergeStack, type Provenance } from './merge.ts';
export { translateOps, type StackReader, type TranslatedOps } from './translate-ops.ts';
export { parseLayerList, isLayerName, groupOf, type LayerName } from './layer-names.ts';
