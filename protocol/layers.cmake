# The protocol areas and which other areas each may include: one table for both the area libraries'
# links (protocol/CMakeLists.txt) and the include check (protocol/check_layers.cmake). Listed lowest
# first. <area>_PUBLIC: areas its headers include (users of the area see them too); <area>_PRIVATE:
# areas only its .cpp files include. Every area links the core (protocol/*.cpp) PUBLIC; the core
# includes no area. Adding an include across areas means adding the area here, without a cycle.
set(setpay_protocol_areas text crypto asn1 pki messages wakeup purchase redirect mobile)
set(setpay_layer_text_PUBLIC)
set(setpay_layer_text_PRIVATE)
set(setpay_layer_crypto_PUBLIC)
set(setpay_layer_crypto_PRIVATE)
set(setpay_layer_asn1_PUBLIC)
set(setpay_layer_asn1_PRIVATE text)
set(setpay_layer_pki_PUBLIC crypto)
set(setpay_layer_pki_PRIVATE asn1)
set(setpay_layer_messages_PUBLIC asn1 crypto)
set(setpay_layer_messages_PRIVATE pki text)
set(setpay_layer_wakeup_PUBLIC messages)
set(setpay_layer_wakeup_PRIVATE)
set(setpay_layer_purchase_PUBLIC crypto messages pki)
set(setpay_layer_purchase_PRIVATE)
set(setpay_layer_redirect_PUBLIC crypto wakeup)
set(setpay_layer_redirect_PRIVATE text)
set(setpay_layer_mobile_PUBLIC messages)
set(setpay_layer_mobile_PRIVATE asn1 crypto purchase text)
