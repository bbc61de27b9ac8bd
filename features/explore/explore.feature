@explore
Feature: Model-based exploration (issue 11)
  A short, seeded, time-boxed exploration: generated programs of 2-3 clients (connect with
  clean or persistent sessions and wills, subscribe with overlapping filters and the 5.0 options,
  unsubscribe, publish bursts without waiting, normal or abrupt disconnects, pauses) run against
  the target, and the spec model (src/model) judges every history. A finding fails the scenario
  with the statements it breaks, a shrunk program as a ready-to-paste scenario and the packet
  trace. The tags list every statement the model can cite at each version.
  `npx mqtt-harness explore` runs longer explorations (notes/README-explore.md).

  Scenario Outline: seeded exploration finds no deviation from the spec model
    Then a seeded exploration of 40 programs (seed 11) within 15 s finds no deviation from the spec model

    @v3.1.1 @MQTT-4.5.0-1 @MQTT-3.1.2-5 @MQTT-3.3.5-1 @MQTT-3.8.4-6 @MQTT-3.3.1-9 @MQTT-3.3.1-6 @MQTT-3.3.1-5
    @MQTT-3.3.1-8 @MQTT-3.8.4-3 @MQTT-3.3.1-10 @MQTT-3.3.1-11 @MQTT-3.10.4-2 @MQTT-3.1.2-6 @MQTT-3.2.2-1 @MQTT-3.2.2-2
    @MQTT-3.1.2-4 @MQTT-3.2.2-3 @MQTT-3.1.2-8 @MQTT-3.1.2-10 @MQTT-4.6.0-6 @MQTT-4.6.0-5 @MQTT-2.3.1-4
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-4.5.0-1 @MQTT-3.1.2-23 @MQTT-3.3.4-2 @MQTT-3.8.4-8 @MQTT-3.3.1-12 @MQTT-3.3.1-13 @MQTT-3.3.1-9
    @MQTT-3.3.1-5 @MQTT-3.8.4-4 @MQTT-3.3.1-6 @MQTT-3.3.1-7 @MQTT-3.3.1-10 @MQTT-3.3.1-11 @MQTT-3.10.4-2 @MQTT-3.1.2-4
    @MQTT-3.2.2-2 @MQTT-3.2.2-3 @MQTT-3.1.2-5 @MQTT-3.1.2-6 @MQTT-3.1.2-8 @MQTT-3.14.4-3 @MQTT-3.1.2-10 @MQTT-3.1.3-9
    @MQTT-4.6.0-5 @MQTT-4.6.0-6 @MQTT-2.2.1-4 @MQTT-3.3.4-9 @MQTT-4.9.0-2 @MQTT-3.8.3-3 @MQTT-3.3.4-4 @MQTT-3.3.4-3
    @MQTT-3.3.4-5 @MQTT-4.8.2-3 @MQTT-3.8.4-3
    Examples: MQTT 5
      | version |
      | 5       |
