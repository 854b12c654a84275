#include "cafmcp/app/config/config_writer.hpp"

#include "cafmcp/app/config/config_fields.hpp"

namespace cafmcp::app {

namespace {

// The visitor of config_fields.hpp that writes each field at its key. Json is
// nlohmann::json or nlohmann::ordered_json (which keeps the schema's order).
template <class Json>
class json_writer {
public:
  explicit json_writer(Json& doc) : doc_(doc) {}

  template <class T>
  void number(const std::string& key, const T& field, std::int64_t, std::int64_t) {
    set(key, field);
  }

  void duration(const std::string& key, const milliseconds& field, std::int64_t, std::int64_t) {
    set(key, static_cast<std::int64_t>(field.count()));
  }

  void boolean(const std::string& key, const bool& field) { set(key, field); }

  void text(const std::string& key, const std::string& field, text_rule) { set(key, field); }

  void text_list(const std::string& key, const std::vector<std::string>& field, text_rule) {
    set(key, field);
  }

  template <class Enum, std::size_t N>
  void choice(const std::string& key, const Enum& field, const std::array<enum_name<Enum>, N>&) {
    set(key, std::string{to_string(field)});
  }

private:
  template <class T>
  void set(const std::string& key, const T& value) {
    std::string pointer = "/" + key;
    for (auto& c : pointer)
      if (c == '.')
        c = '/';
    doc_[typename Json::json_pointer{pointer}] = value;
  }

  Json& doc_;
};

// The visitor that only collects keys.
class key_lister {
public:
  template <class T>
  void number(const std::string& key, const T&, std::int64_t, std::int64_t) {
    keys.push_back(key);
  }
  void duration(const std::string& key, const milliseconds&, std::int64_t, std::int64_t) {
    keys.push_back(key);
  }
  void boolean(const std::string& key, const bool&) { keys.push_back(key); }
  void text(const std::string& key, const std::string&, text_rule) { keys.push_back(key); }
  void text_list(const std::string& key, const std::vector<std::string>&, text_rule) {
    keys.push_back(key);
  }
  template <class Enum, std::size_t N>
  void choice(const std::string& key, const Enum&, const std::array<enum_name<Enum>, N>&) {
    keys.push_back(key);
  }

  std::vector<std::string> keys;
};

template <class Json>
Json write(const node_config& cfg) {
  Json doc = Json::object();
  json_writer<Json> writer{doc};
  fields::visit_fields(cfg, writer);
  return doc;
}

} // namespace

nlohmann::json to_json(const node_config& cfg) {
  return write<nlohmann::json>(cfg);
}

std::string render_config(const node_config& cfg) {
  return write<nlohmann::ordered_json>(cfg).dump(2);
}

std::vector<std::string> config_keys() {
  const node_config defaults;
  key_lister lister;
  fields::visit_fields(defaults, lister);
  return std::move(lister.keys);
}

} // namespace cafmcp::app
