export { stixCampaign } from './campaign';
export { consortiumIdentity, operatorIdentity } from './identity';
export { CONSORTIUM_IDENTITY_ID, STIX_ID, STIX_NAMESPACE, campaignStixId, indicatorStixId, operatorIdentityId, sightingStixId, uuidv5 } from './ids';
export { stixIndicator } from './indicator';
export { INDICATOR_TYPES, indicatorPattern, parseIndicatorPattern, type IndicatorType } from './patterns';
export { stixSighting } from './sighting';
export { PHONE_NUMBER, SENDER_ID, SMS_OBSERVABLES_EXTENSION_ID, smsObservablesExtension } from './sms-observables';
export { TLP_LEVELS, tlpMarkingDefinition, tlpMarkingRef, tlpOfMarkingRefs } from './tlp';
export { stixVersion, type StixObject, type Tlp } from './types';
