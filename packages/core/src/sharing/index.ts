export { TLP_LEVELS, type Tlp } from './tlp';
export { TLP_2_0_MARKINGS, tlpMarkingRef, tlpOfMarkingRefs, tlpWithin } from './tlp-markings';
export { indicatorPattern, parseIndicatorPattern, PHONE_NUMBER, SENDER_ID, SENDER_TYPES, type StixSenderType } from './stix-patterns';
export {
  decidePeerIndicator,
  UNMARKED_PEER_TLP,
  type PeerIndicatorDecision,
  type PeerIndicatorImport,
  type PeerIndicatorWithheld,
} from './peer-indicator';
export { sealPeerSecret, unsealPeerSecret } from './peer-secret';
