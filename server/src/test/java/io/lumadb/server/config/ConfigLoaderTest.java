package io.lumadb.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @Test
  void defaultsMatchTheReference() {
    LumaConfig c = ConfigLoader.parse("", "empty");
    assertEquals("./data", c.general().dataDir());
    assertEquals("info", c.general().logLevel());
    assertEquals(8080, c.server().port());
    assertTrue(c.metrics().enabled());
    assertEquals(9091, c.metrics().port());
    assertEquals("/metrics", c.metrics().path());
    assertTrue(c.postgres().enabled());
    assertEquals(5432, c.postgres().port());
    assertEquals(100, c.postgres().maxConnections());
    assertEquals("lumadb", c.postgres().user());
    assertEquals("lumadb", c.postgres().password());
    assertTrue(c.prometheus().enabled());
    assertEquals(9090, c.prometheus().port());
    assertTrue(c.avatica().enabled());
    assertEquals("127.0.0.1", c.avatica().host());
    assertEquals(8765, c.avatica().port());
    assertEquals(c, LumaConfig.defaults());
  }

  @Test
  void queryMemoryLimit() {
    assertEquals(0L, ConfigLoader.parse("", "t").storage().queryMemoryLimit());
    assertEquals(8L << 20, ConfigLoader.parse("[storage]\nquery_memory_limit = 8388608\n", "t").storage().queryMemoryLimit());
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.parse("[storage]\nquery_memory_limit = 1000\n", "t"));
    assertTrue(e.getMessage().contains("storage.query_memory_limit"), e.getMessage());
  }

  @Test
  void overrides() {
    LumaConfig c = ConfigLoader.parse("""
        [general]
        data_dir = "/var/lib/lumadb"
        log_level = "debug"
        [server]
        host = "0.0.0.0"
        port = 18080
        [metrics]
        enabled = false
        path = "/m"
        [postgres]
        port = 15432
        max_connections = 7
        [prometheus]
        enabled = false
        """, "t");
    assertEquals("/var/lib/lumadb", c.general().dataDir());
    assertEquals("debug", c.general().logLevel());
    assertEquals("0.0.0.0", c.server().host());
    assertEquals(18080, c.server().port());
    assertFalse(c.metrics().enabled());
    assertEquals("/m", c.metrics().path());
    assertEquals(9091, c.metrics().port());
    assertEquals(15432, c.postgres().port());
    assertEquals(7, c.postgres().maxConnections());
    assertFalse(c.prometheus().enabled());
  }

  private static String rejected(String toml) {
    return assertThrows(ConfigException.class, () -> ConfigLoader.parse(toml, "cfg.toml")).getMessage();
  }

  @Test
  void unknownKeysAreNamed() {
    String m = rejected("[postgres]\nprot = 5432\n");
    assertTrue(m.contains("unknown key postgres.prot"), m);
    m = rejected("[nosuchsection]\nx = 1\n");
    assertTrue(m.contains("unknown key nosuchsection"), m);
  }

  @Test
  void wrongTypesAreNamed() {
    String m = rejected("[postgres]\nport = \"fivefour\"\n");
    assertTrue(m.contains("postgres.port"), m);
    m = rejected("[metrics]\nenabled = \"yes\"\n");
    assertTrue(m.contains("metrics.enabled"), m);
    m = rejected("[general]\ndata_dir = 5\n");
    assertTrue(m.contains("general.data_dir"), m);
  }

  @Test
  void portsOutOfRangeAreNamed() {
    String m = rejected("[postgres]\nport = 70000\n");
    assertTrue(m.contains("postgres.port = 70000 is out of range"), m);
    m = rejected("[server]\nport = -1\n");
    assertTrue(m.contains("server.port = -1 is out of range"), m);
    m = rejected("[metrics]\nport = 65536\n");
    assertTrue(m.contains("metrics.port"), m);
    m = rejected("[prometheus]\nport = 100000\n");
    assertTrue(m.contains("prometheus.port"), m);
    m = rejected("[avatica]\nport = 65536\n");
    assertTrue(m.contains("avatica.port = 65536 is out of range"), m);
  }

  @Test
  void federationEntries() {
    LumaConfig c = ConfigLoader.parse("""
        [[federation]]
        name = "pgsrc"
        url = "jdbc:postgresql://db:5432/inventory"
        user = "reader"
        password = "secret"

        [[federation]]
        name = "crm"
        url = "jdbc:postgresql://crm/crm"
        schema = "sales"
        """, "cfg.toml");
    assertEquals(2, c.federation().size());
    assertEquals(new LumaConfig.Federation("pgsrc", "jdbc:postgresql://db:5432/inventory", "reader", "secret",
        "public"), c.federation().get(0));
    assertEquals("sales", c.federation().get(1).schema());
    assertEquals("", c.federation().get(1).user());
    assertTrue(LumaConfig.defaults().federation().isEmpty());
  }

  @Test
  void invalidFederationEntriesAreNamed() {
    String entry = "[[federation]]\nname = \"%s\"\nurl = \"jdbc:postgresql://h/db\"\n";
    for (String reserved : List.of("public", "metrics", "otel", "pg_catalog", "information_schema")) {
      String m = rejected(entry.formatted(reserved));
      assertTrue(m.contains("federation[0].name") && m.contains("built-in schema"), m);
    }
    String m = rejected(entry.formatted("PgSrc"));
    assertTrue(m.contains("federation[0].name must be a lower-case identifier"), m);
    m = rejected(entry.formatted("a") + entry.formatted("a"));
    assertTrue(m.contains("federation[1].name \"a\" is used by another"), m);
    m = rejected("[[federation]]\nurl = \"jdbc:postgresql://h/db\"\n");
    assertTrue(m.contains("federation[0].name is required"), m);
    m = rejected("[[federation]]\nname = \"a\"\nurl = \"postgres://h/db\"\n");
    assertTrue(m.contains("federation[0].url is required and must be a JDBC URL"), m);
    m = rejected(entry.formatted("a") + "passwd = \"x\"\n");
    assertTrue(m.contains("unknown key federation[0].passwd") || m.contains("unknown key federation.[0].passwd"), m);
    m = rejected(entry.formatted("a") + "user = 5\n");
    assertTrue(m.contains("federation") && m.contains("user"), m);
  }

  @Test
  void otherInvalidValues() {
    assertTrue(rejected("[general]\nlog_level = \"loud\"\n").contains("general.log_level"));
    assertTrue(rejected("[metrics]\npath = \"metrics\"\n").contains("metrics.path"));
    assertTrue(rejected("[postgres]\nmax_connections = 0\n").contains("postgres.max_connections"));
    assertTrue(rejected("[avatica]\nmax_connections = 0\n").contains("avatica.max_connections"));
    assertTrue(rejected("[avatica]\nidle_timeout = \"soon\"\n").contains("avatica.idle_timeout"));
    assertTrue(rejected("[postgres]\nauth_method = \"kerberos\"\n").contains("postgres.auth_method"));
    assertTrue(rejected("this is not toml").contains("not valid TOML"));
  }

  @Test
  void theShippedExampleLoads(@TempDir Path tmp) throws Exception {
    Path example = Path.of("..", "config.toml");
    LumaConfig c = ConfigLoader.load(example);
    assertEquals(LumaConfig.defaults(), c, "config.toml documents the defaults");
    Files.writeString(tmp.resolve("x.toml"), "[server]\nport = 1\n");
    assertEquals(1, ConfigLoader.load(tmp.resolve("x.toml")).server().port());
  }
}
