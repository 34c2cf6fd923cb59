package io.linkflow.events.payload;

import java.util.Map;

/**
 * audit.log: something a person or machine did that must be on the audit trail.
 *
 * @param action dotted action name, e.g. {@code user.login} or {@code credential.access}
 * @param actorId who did it (user id, API key id or service name)
 * @param actorType user, api_key or service
 * @param resourceType what it was done to
 * @param resourceId which one
 * @param outcome success or failure
 * @param details further facts, never secrets
 */
public record AuditRecordedV1(
    String action,
    String actorId,
    String actorType,
    String resourceType,
    String resourceId,
    String outcome,
    Map<String, String> details) {}
