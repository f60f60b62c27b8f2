/**
 * A TEST DOUBLE, NOT A BROKER. A small AMQP 1.0 peer (rhea) on 127.0.0.1 that behaves enough like
 * Azure Service Bus for the unmodified `@azure/service-bus` client in tests. Everything lives in
 * memory and nothing is authenticated: never point anything but a test at it.
 *
 * Implemented: SASL ANONYMOUS and PLAIN (any credentials), `$cbs` put-token (any token), queues
 * created on first use, send (single and batch), duplicate detection by messageId within a window,
 * scheduled messages, receive in peek-lock (credit and drain) and receiveAndDelete, complete, abandon with a delivery
 * count, lock expiry, dead-lettering on request or after `maxDeliveryCount` deliveries
 * (`MaxDeliveryCountExceeded`), the `<queue>/$DeadLetterQueue` subqueue, and the management
 * operation `com.microsoft:peek-message`.
 *
 * Not implemented: defer (treated as abandon), sessions, topics and
 * subscriptions, transactions, time-to-live, every other management operation (renew-lock,
 * schedule and cancel, settlement by lock token, receive by sequence number: answered with 501).
 */
export * from './serviceBusTestPeer';
export { maxDeliveryCountExceeded } from './peerQueue';
