import { Given } from '@cucumber/cucumber';
import type { ConformanceWorld as W } from './support/world.ts';
import { re } from './support/parse.ts';

Given(
  re(
    'the broker supports (qos1|qos2|retain|wildcardSubscriptions|sharedSubscriptions|subscriptionIdentifiers|topicAliases)',
  ),
  function (this: W, cap: string) {
    return this.requireCapability(cap);
  },
);
Given(re('topics are not prefixed'), function (this: W) {
  this.prefixTopics = false;
});
