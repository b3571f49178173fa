package io.lumadb.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Command-line options of the bench drivers: {@code --name value} pairs and bare {@code --flag}s. */
final class Args {
  private Args() {}

  /**
   * Parses {@code args}; prints the usage and exits on --help, an unknown option, a missing
   * value or a missing required option. Flags map to "true".
   */
  static Map<String, String> parse(String[] args, String usage, List<String> flags, List<String> options,
      List<String> required) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help") || a.equals("-h")) {
        System.out.print(usage);
        System.exit(0);
      }
      String name = a.startsWith("--") ? a.substring(2) : null;
      if (name != null && flags.contains(name)) {
        m.put(name, "true");
      } else if (name != null && options.contains(name) && i + 1 < args.length) {
        m.put(name, args[++i]);
      } else {
        fail((name != null && !options.contains(name) ? "unknown option " : "bad argument ") + a, usage);
      }
    }
    for (String k : required) {
      if (!m.containsKey(k)) {
        fail("--" + k + " is required", usage);
      }
    }
    return m;
  }

  private static void fail(String message, String usage) {
    System.err.print(message + "\n" + usage);
    System.exit(2);
  }
}
