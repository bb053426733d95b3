package dev.baton.internal.classloading;

import dev.baton.scheduling.InvalidTaskException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import org.quartz.Job;

/**
 * Whether a node's job factory can instantiate a job class: the one rule behind both the refusal of
 * a task at registration and the answer to "can this node run it" at trigger acquisition, so that
 * the two never disagree.
 *
 * <p>Without an installed job factory, Baton builds jobs itself with the public no-argument
 * constructor of a public class. With an injecting factory installed (Spring's {@code
 * SpringBeanJobFactory} or Baton's {@code SpringJobFactory}, both {@code
 * AutowireCapableBeanFactory.createBean}), a class counts when such a factory can choose a
 * constructor, whatever the visibility of the class or the constructor (Spring makes it
 * accessible): the class's only constructor, a no-argument one, or one annotated {@code @Autowired}
 * or {@code @Inject}. A class with several constructors, none of them without arguments and none
 * annotated, Spring refuses ("No default constructor found"); so does this check, naming the fix.
 */
public final class JobClasses {
  /** Constructor annotations by which Spring's {@code createBean} picks a constructor. */
  private static final java.util.Set<String> INJECT_ANNOTATIONS =
      java.util.Set.of(
          "org.springframework.beans.factory.annotation.Autowired",
          "jakarta.inject.Inject",
          "javax.inject.Inject");

  private JobClasses() {}

  /**
   * Null when {@code c} is a concrete {@link Job} that the node's job factory can instantiate;
   * otherwise what is wrong, as a phrase that follows the quoted class name, with the fix. {@code
   * injected}: whether an injecting job factory is installed.
   */
  /**
   * Refuses, naming {@code task} and the class, a class the job factory could not instantiate; with
   * {@code injected}, any constructor an injecting factory such as Spring's can choose will do.
   *
   * @throws InvalidTaskException naming the field {@code jobClass}
   */
  public static void check(String task, Class<?> c, boolean injected) {
    String problem = problem(c, injected);
    if (problem != null) {
      throw new InvalidTaskException(task, "jobClass", "'" + c.getName() + "' " + problem);
    }
  }

  public static String problem(Class<?> c, boolean injected) {
    if (!Job.class.isAssignableFrom(c)) return "does not implement org.quartz.Job";
    if (c.isInterface() || Modifier.isAbstract(c.getModifiers())) return "is abstract";
    if (injected) {
      Constructor<?>[] all = c.getDeclaredConstructors();
      if (all.length == 1) return null;
      for (Constructor<?> k : all) {
        if (k.getParameterCount() == 0) return null;
        for (Annotation a : k.getDeclaredAnnotations()) {
          if (INJECT_ANNOTATIONS.contains(a.annotationType().getName())) return null;
        }
      }
      return "has several constructors, none without arguments and none annotated @Autowired or"
          + " @Inject, so the job factory cannot choose one; give it a single constructor, or"
          + " annotate the one to use with @Autowired";
    }
    String fix =
        "; or give the node a job factory that injects the constructor's arguments"
            + " (BatonBuilder.jobFactory; the Spring Boot starters install Spring's)";
    // Baton calls the constructor from its own package: the class must be public too.
    if (!Modifier.isPublic(c.getModifiers())) {
      return "is not public, so the node cannot call its constructor; make it public" + fix;
    }
    try {
      c.getConstructor();
      return null;
    } catch (NoSuchMethodException | SecurityException e) {
      return "has no public no-argument constructor; give it one" + fix;
    }
  }
}
