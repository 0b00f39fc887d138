/** Indicator patterns have one home, @srs/core, which the federation pull reads them with too. */
export { indicatorPattern, parseIndicatorPattern } from '@srs/core';
