package dev.baton.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP proxy on the loopback interface, in plain sockets, that can black-hole the traffic: while
 * {@link #blackHole() black-holed} it keeps every connection open but forwards nothing in either
 * direction, and accepts new connections without connecting them anywhere, like a network partition
 * that drops packets (TCP retransmits, nobody gets an answer or a reset). {@link #heal()} forwards
 * again: bytes held meanwhile are delivered, as retransmission would, and the held new connections
 * are connected to the target.
 */
final class TcpProxy implements AutoCloseable {
  private final String targetHost;
  private final int targetPort;
  private final ServerSocket listener;
  private final Object gate = new Object();
  private final List<Socket> sockets = new ArrayList<>();
  private final List<Socket> held = new ArrayList<>();
  private boolean blackHoled;
  private volatile boolean closed;

  TcpProxy(String targetHost, int targetPort) throws IOException {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    thread("tcp-proxy-accept", this::acceptLoop).start();
  }

  int port() {
    return listener.getLocalPort();
  }

  /** Stops forwarding, on open and new connections alike. */
  void blackHole() {
    synchronized (gate) {
      blackHoled = true;
    }
  }

  /** Forwards again, delivering what was held. */
  void heal() {
    List<Socket> waiting;
    synchronized (gate) {
      blackHoled = false;
      waiting = new ArrayList<>(held);
      held.clear();
      gate.notifyAll();
    }
    waiting.forEach(this::connect);
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      synchronized (gate) {
        sockets.add(client);
        if (blackHoled) {
          held.add(client);
          continue;
        }
      }
      connect(client);
    }
  }

  private void connect(Socket client) {
    Socket target;
    try {
      target = new Socket(targetHost, targetPort);
    } catch (IOException e) {
      closeQuietly(client);
      return;
    }
    synchronized (gate) {
      sockets.add(target);
    }
    thread("tcp-proxy-up", () -> pump(client, target)).start();
    thread("tcp-proxy-down", () -> pump(target, client)).start();
  }

  /** Copies from one socket to the other; what it reads while black-holed waits for the heal. */
  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buffer)) >= 0) {
        synchronized (gate) {
          while (blackHoled && !closed) gate.wait();
        }
        if (closed) break;
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // One side went away: end both.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeQuietly(from);
    closeQuietly(to);
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(listener);
    synchronized (gate) {
      gate.notifyAll();
      sockets.forEach(TcpProxy::closeQuietly);
      sockets.clear();
      held.clear();
    }
  }

  private static Thread thread(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    return t;
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // Best effort.
    }
  }
}
