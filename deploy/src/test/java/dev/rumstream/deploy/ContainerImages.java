package dev.rumstream.deploy;

import dev.rumstream.testkit.ContainerServices;
import java.lang.reflect.Field;

/**
 * The broker and registry images the tests run (testkit's ContainerServices), which compose must
 * use too.
 */
final class ContainerImages {
  static final String KAFKA = constant("KAFKA_IMAGE");
  static final String SCHEMA_REGISTRY = constant("SCHEMA_REGISTRY_IMAGE");

  private ContainerImages() {}

  /**
   * The constants are package-private in testkit: read them by reflection rather than copying them.
   */
  private static String constant(String name) {
    try {
      Field field = ContainerServices.class.getDeclaredField(name);
      field.setAccessible(true);
      return (String) field.get(null);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(
          "testkit's ContainerServices has no constant " + name + " any more", e);
    }
  }
}
