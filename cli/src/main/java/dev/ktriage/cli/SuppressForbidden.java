package dev.ktriage.cli;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Allows a use of an API the build bans (validation/forbidden-apis/, checked by forbiddenapis in
 * {@code verify}); {@link #reason} says why this use must stay.
 */
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.CONSTRUCTOR, ElementType.FIELD})
public @interface SuppressForbidden {
  /** Why the banned API is right here. */
  String reason();
}
