export { TLP_LEVELS, type Tlp } from './tlp';
