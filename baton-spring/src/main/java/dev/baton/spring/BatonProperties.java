package dev.baton.spring;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The {@code baton.*} settings of a Spring application. A plain bean so that this module needs no
 * Spring Boot; each starter binds it with {@code @ConfigurationProperties("baton")}. A setting left
 * unset (null) falls back to the matching {@code spring.quartz.*} value when there is one, else to
 * Baton's default (see {@link dev.baton.BatonBuilder}).
 */
public class BatonProperties {
  /** Property prefix. */
  public static final String PREFIX = "baton";

  private boolean enabled = true;
  private String clusterName;
  private String nodeId;
  private String tablePrefix;
  private Integer threads;
  private Duration checkinInterval;
  private Duration failureGrace;
  private Duration misfireThreshold;
  private Duration idleWait;
  private Integer batchSize;
  private Duration drainTimeout;
  private Duration startupTimeout;
  private Path pluginDirectory;
  private Boolean virtualThreads;
  private final History history = new History();
  private final Admin admin = new Admin();

  /**
   * The {@code baton.admin.*} settings: the node's admin API and dashboard, served by the
   * application on a port of their own when {@code port} is set and {@code baton-server} is on the
   * class path.
   */
  public static class Admin {
    private Integer port;
    private String bind = "127.0.0.1";
    private String token;

    /** The port to serve on (0 for any free one); unset, nothing is served. */
    public Integer getPort() {
      return port;
    }

    public void setPort(Integer port) {
      this.port = port;
    }

    /** The address to bind; 127.0.0.1 unless set. */
    public String getBind() {
      return bind;
    }

    public void setBind(String bind) {
      this.bind = bind;
    }

    /** The token every route but {@code /api/health} requires (at least 16 characters). */
    public String getToken() {
      return token;
    }

    public void setToken(String token) {
      this.token = token;
    }
  }

  /** The {@code baton.history.*} settings. */
  public static class History {
    private Boolean enabled;
    private Duration retention;
    private Long maxRows;

    public Boolean getEnabled() {
      return enabled;
    }

    public void setEnabled(Boolean enabled) {
      this.enabled = enabled;
    }

    public Duration getRetention() {
      return retention;
    }

    public void setRetention(Duration retention) {
      this.retention = retention;
    }

    public Long getMaxRows() {
      return maxRows;
    }

    public void setMaxRows(Long maxRows) {
      this.maxRows = maxRows;
    }
  }

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public String getClusterName() {
    return clusterName;
  }

  public void setClusterName(String clusterName) {
    this.clusterName = clusterName;
  }

  public String getNodeId() {
    return nodeId;
  }

  public void setNodeId(String nodeId) {
    this.nodeId = nodeId;
  }

  public String getTablePrefix() {
    return tablePrefix;
  }

  public void setTablePrefix(String tablePrefix) {
    this.tablePrefix = tablePrefix;
  }

  public Integer getThreads() {
    return threads;
  }

  public void setThreads(Integer threads) {
    this.threads = threads;
  }

  public Duration getCheckinInterval() {
    return checkinInterval;
  }

  public void setCheckinInterval(Duration checkinInterval) {
    this.checkinInterval = checkinInterval;
  }

  public Duration getFailureGrace() {
    return failureGrace;
  }

  public void setFailureGrace(Duration failureGrace) {
    this.failureGrace = failureGrace;
  }

  public Duration getMisfireThreshold() {
    return misfireThreshold;
  }

  public void setMisfireThreshold(Duration misfireThreshold) {
    this.misfireThreshold = misfireThreshold;
  }

  public Duration getIdleWait() {
    return idleWait;
  }

  public void setIdleWait(Duration idleWait) {
    this.idleWait = idleWait;
  }

  public Integer getBatchSize() {
    return batchSize;
  }

  public void setBatchSize(Integer batchSize) {
    this.batchSize = batchSize;
  }

  public Duration getDrainTimeout() {
    return drainTimeout;
  }

  public void setDrainTimeout(Duration drainTimeout) {
    this.drainTimeout = drainTimeout;
  }

  /**
   * Whether jobs run on virtual threads (Java 21+; default false): for jobs that mostly wait on
   * I/O. {@code baton.threads} still limits how many run at once.
   */
  public Boolean getVirtualThreads() {
    return virtualThreads;
  }

  public void setVirtualThreads(Boolean virtualThreads) {
    this.virtualThreads = virtualThreads;
  }

  public Duration getStartupTimeout() {
    return startupTimeout;
  }

  public void setStartupTimeout(Duration startupTimeout) {
    this.startupTimeout = startupTimeout;
  }

  public Path getPluginDirectory() {
    return pluginDirectory;
  }

  public void setPluginDirectory(Path pluginDirectory) {
    this.pluginDirectory = pluginDirectory;
  }

  public History getHistory() {
    return history;
  }

  public Admin getAdmin() {
    return admin;
  }
}
