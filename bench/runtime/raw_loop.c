/* The baseline: the least a Lambda runtime can do. A raw-socket loop that
 * GETs /next, and POSTs the event straight back as the response, on one
 * keep-alive connection. No parsing beyond the HTTP head. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

static char head[65536];
static size_t have;
static char* body;
static size_t body_cap;

static int read_response(int fd, size_t* length, char* id, size_t id_cap) {
  char* end;
  head[have] = 0;
  while ((end = strstr(head, "\r\n\r\n")) == NULL) {
    ssize_t n = recv(fd, head + have, sizeof head - 1 - have, 0);
    if (n <= 0) return -1;
    have += (size_t)n;
    head[have] = 0;
  }
  *end = 0;
  size_t head_len = (size_t)(end - head) + 4;
  *length = 0;
  id[0] = 0;
  for (char* line = strstr(head, "\r\n"); line != NULL; line = strstr(line + 2, "\r\n")) {
    char* l = line + 2;
    if (strncasecmp(l, "Content-Length:", 15) == 0) *length = strtoul(l + 15, NULL, 10);
    if (strncasecmp(l, "Lambda-Runtime-Aws-Request-Id:", 30) == 0) {
      char* v = l + 30;
      while (*v == ' ') v++;
      size_t k = strcspn(v, "\r\n");
      if (k >= id_cap) k = id_cap - 1;
      memcpy(id, v, k);
      id[k] = 0;
    }
  }
  if (*length + 1 > body_cap) {
    body_cap = *length + 1;
    body = realloc(body, body_cap);
  }
  size_t extra = have - head_len;
  size_t take = extra < *length ? extra : *length;
  memcpy(body, head + head_len, take);
  memmove(head, head + head_len + take, have - head_len - take);
  have -= head_len + take;
  while (take < *length) {
    ssize_t n = recv(fd, body + take, *length - take, 0);
    if (n <= 0) return -1;
    take += (size_t)n;
  }
  return 0;
}

int main(void) {
  const char* api = getenv("AWS_LAMBDA_RUNTIME_API");
  if (api == NULL) return 2;
  char host[64];
  snprintf(host, sizeof host, "%s", api);
  char* colon = strrchr(host, ':');
  *colon = 0;
  struct sockaddr_in addr = {0};
  addr.sin_family = AF_INET;
  addr.sin_port = htons((unsigned short)atoi(colon + 1));
  inet_pton(AF_INET, host, &addr.sin_addr);
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (connect(fd, (struct sockaddr*)&addr, sizeof addr) != 0) return 1;
  char next[256], post[512], id[128];
  int next_len = snprintf(next, sizeof next, "GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: %s\r\n\r\n", api);
  for (;;) {
    size_t length;
    if (send(fd, next, (size_t)next_len, MSG_NOSIGNAL) != next_len) return 1;
    if (read_response(fd, &length, id, sizeof id) != 0) return 1;
    int post_len = snprintf(post, sizeof post,
                            "POST /2018-06-01/runtime/invocation/%s/response HTTP/1.1\r\nHost: %s\r\nContent-Length: %zu\r\n\r\n", id,
                            api, length);
    struct iovec iov[2] = {{post, (size_t)post_len}, {body, length}};
    struct msghdr msg = {0};
    msg.msg_iov = iov;
    msg.msg_iovlen = 2;
    if (sendmsg(fd, &msg, MSG_NOSIGNAL) < 0) return 1;
    if (read_response(fd, &length, id, sizeof id) != 0) return 1;
  }
}
