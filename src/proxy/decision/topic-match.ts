/** MQTT topic filter matching for packet matchers: the codec's one implementation. */
export { topicMatches as topicFilterMatches } from '../../codec/index.ts';
