export { stixCampaign } from './campaign';
export { consortiumIdentity, operatorIdentity } from './identity';
export { CONSORTIUM_IDENTITY_ID, STIX_ID, STIX_NAMESPACE, stixId, uuidv5 } from './ids';
export { stixIndicator } from './indicator';
export { indicatorPattern, parseIndicatorPattern } from './patterns';
export { stixSighting } from './sighting';
export { PHONE_NUMBER, SENDER_ID, SMS_OBSERVABLES_EXTENSION_ID, smsObservablesExtension } from './sms-observables';
export { tlpMarkingDefinition, tlpMarkingRef, tlpOfMarkingRefs } from './tlp';
export { stixVersion, type StixObject } from './types';
