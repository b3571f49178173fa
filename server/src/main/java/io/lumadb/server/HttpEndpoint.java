package io.lumadb.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;

/** A small HTTP server for GET endpoints (/health, /metrics) on Netty. */
final class HttpEndpoint implements AutoCloseable {
  /** A response body with its status and content type. */
  record Response(int status, String contentType, byte[] body) {
    static Response text(int status, String body) {
      return new Response(status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }
  }

  private final String name;
  private final Map<String, Supplier<Response>> routes;
  private Channel channel;

  HttpEndpoint(String name, Map<String, Supplier<Response>> routes) {
    this.name = name;
    this.routes = Map.copyOf(routes);
  }

  int start(EventLoopGroup group, String host, int port) throws InterruptedException {
    ServerBootstrap b = new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new HttpServerCodec(4096, 8192, 8192));
            ch.pipeline().addLast(new HttpObjectAggregator(64 * 1024));
            ch.pipeline().addLast(new Handler());
          }
        });
    channel = b.bind(host, port).sync().channel();
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  boolean isListening() {
    return channel != null && channel.isActive();
  }

  String name() {
    return name;
  }

  @Override
  public void close() {
    if (channel != null) {
      channel.close().syncUninterruptibly();
    }
  }

  private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      Response r;
      if (!req.decoderResult().isSuccess()) {
        r = Response.text(400, "bad request\n");
      } else {
        String path = new QueryStringDecoder(req.uri()).path();
        Supplier<Response> route = routes.get(path);
        if (route == null) {
          r = Response.text(404, "not found\n");
        } else if (!req.method().equals(HttpMethod.GET) && !req.method().equals(HttpMethod.HEAD)) {
          r = Response.text(405, "method not allowed\n");
        } else {
          r = route.get();
        }
      }
      FullHttpResponse resp = new DefaultFullHttpResponse(
          HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()),
          req.method().equals(HttpMethod.HEAD) ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(r.body()));
      resp.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
      resp.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
      boolean keepAlive = HttpUtil.isKeepAlive(req) && req.decoderResult().isSuccess();
      HttpUtil.setKeepAlive(resp, keepAlive);
      var f = ctx.writeAndFlush(resp);
      if (!keepAlive) {
        f.addListener(ChannelFutureListener.CLOSE);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
