#pragma once
// The whole public API of gust in one include.

#include <gust/app.hpp>
#include <gust/bucket.hpp>
#include <gust/context.hpp>
#include <gust/decimal.hpp>
#include <gust/error.hpp>
#include <gust/events.hpp>
#include <gust/grants.hpp>
#include <gust/headers.hpp>
#include <gust/log.hpp>
#include <gust/queue.hpp>
#include <gust/record.hpp>
#include <gust/request.hpp>
#include <gust/resources.hpp>
#include <gust/response.hpp>
#include <gust/result.hpp>
#include <gust/table.hpp>
#include <gust/topic.hpp>
#include <gust/value.hpp>
