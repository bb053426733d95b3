package dev.baton.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one JSON configuration of the node and the CLI: ISO-8601 instants, strict parsing (duplicate
 * keys and trailing content refused). Only trees and plain records are ever read: no polymorphic
 * typing, so no Java object is ever deserialised from the network.
 */
public final class Json {
  /** Shared, thread-safe. */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private Json() {}

  /** Parses a request body, answering malformed JSON with a 400 naming the body. */
  public static JsonNode parseBody(byte[] body) {
    if (body.length == 0)
      throw ApiException.badRequest("body", "the body is empty; send a JSON object");
    try {
      return MAPPER.readTree(body);
    } catch (java.io.IOException e) {
      String detail =
          e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      throw ApiException.badRequest("body", "malformed JSON: " + detail);
    }
  }

  /** Serialises a response value. */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Could not serialise " + value.getClass().getName(), e);
    }
  }
}
