package io.linkflow.nodes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A kind of credential nodes accept, e.g. HTTP basic auth.
 *
 * @param name the type's name, e.g. {@code httpBasicAuth}
 * @param displayName what the editor shows
 * @param description one sentence
 * @param schema a JSON Schema (draft 2020-12) object schema of its fields; secret fields carry
 *     {@code "x-secret": true}
 * @param secretFields the fields marked secret, which credential-service encrypts and never returns
 *     (derived from the schema when the catalog is loaded)
 */
public record CredentialType(
    String name,
    String displayName,
    String description,
    ObjectNode schema,
    List<String> secretFields) {}
