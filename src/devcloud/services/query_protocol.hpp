#pragma once
// The AWS query protocol's form encoding ("Attribute.1.Name=x&Attribute.1.Value=y")
// as a JSON tree ({"Attribute":[{"Name":"x","Value":"y"}]}): numbered
// segments become arrays in number order, other segments object members.
// SQS (older clients) and SNS speak it.

#include "devcloud/services/service.hpp"

#include <boost/json/object.hpp>

#include <initializer_list>
#include <string_view>

namespace gust::localaws {

boost::json::object query_tree(const Params& form, std::initializer_list<std::string_view> skip = {});

}  // namespace gust::localaws
