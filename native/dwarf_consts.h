// DWARF constants we use (values from the DWARF 2-5 standards and the GNU extensions).
#pragma once

#include <cstdint>

namespace kvm {
namespace dw {

// Tags.
constexpr uint16_t TAG_array_type = 0x01, TAG_class_type = 0x02, TAG_entry_point = 0x03,
                   TAG_enumeration_type = 0x04, TAG_formal_parameter = 0x05,
                   TAG_lexical_block = 0x0b, TAG_member = 0x0d, TAG_pointer_type = 0x0f,
                   TAG_reference_type = 0x10, TAG_compile_unit = 0x11,
                   TAG_structure_type = 0x13, TAG_subroutine_type = 0x15, TAG_typedef = 0x16,
                   TAG_union_type = 0x17, TAG_unspecified_parameters = 0x18,
                   TAG_inlined_subroutine = 0x1d, TAG_ptr_to_member_type = 0x1f,
                   TAG_subrange_type = 0x21, TAG_base_type = 0x24, TAG_const_type = 0x26,
                   TAG_enumerator = 0x28, TAG_subprogram = 0x2e, TAG_variable = 0x34,
                   TAG_volatile_type = 0x35, TAG_restrict_type = 0x37, TAG_namespace = 0x39,
                   TAG_unspecified_type = 0x3b, TAG_partial_unit = 0x3c, TAG_type_unit = 0x41,
                   TAG_rvalue_reference_type = 0x42, TAG_atomic_type = 0x47,
                   TAG_skeleton_unit = 0x4a;

// Attributes.
constexpr uint16_t AT_sibling = 0x01, AT_location = 0x02, AT_name = 0x03,
                   AT_byte_size = 0x0b, AT_bit_offset = 0x0c, AT_bit_size = 0x0d,
                   AT_const_value = 0x1c, AT_lower_bound = 0x22, AT_producer = 0x25,
                   AT_prototyped = 0x27, AT_upper_bound = 0x2f, AT_abstract_origin = 0x31,
                   AT_count = 0x37, AT_data_member_location = 0x38, AT_declaration = 0x3c,
                   AT_encoding = 0x3e, AT_external = 0x3f, AT_specification = 0x47,
                   AT_type = 0x49, AT_data_bit_offset = 0x6b, AT_signature = 0x69,
                   AT_str_offsets_base = 0x72, AT_addr_base = 0x73,
                   AT_GNU_addr_base = 0x2133;

// Forms.
constexpr uint16_t FORM_addr = 0x01, FORM_block2 = 0x03, FORM_block4 = 0x04, FORM_data2 = 0x05,
                   FORM_data4 = 0x06, FORM_data8 = 0x07, FORM_string = 0x08, FORM_block = 0x09,
                   FORM_block1 = 0x0a, FORM_data1 = 0x0b, FORM_flag = 0x0c, FORM_sdata = 0x0d,
                   FORM_strp = 0x0e, FORM_udata = 0x0f, FORM_ref_addr = 0x10, FORM_ref1 = 0x11,
                   FORM_ref2 = 0x12, FORM_ref4 = 0x13, FORM_ref8 = 0x14, FORM_ref_udata = 0x15,
                   FORM_indirect = 0x16, FORM_sec_offset = 0x17, FORM_exprloc = 0x18,
                   FORM_flag_present = 0x19, FORM_strx = 0x1a, FORM_addrx = 0x1b,
                   FORM_ref_sup4 = 0x1c, FORM_strp_sup = 0x1d, FORM_data16 = 0x1e,
                   FORM_line_strp = 0x1f, FORM_ref_sig8 = 0x20, FORM_implicit_const = 0x21,
                   FORM_loclistx = 0x22, FORM_rnglistx = 0x23, FORM_ref_sup8 = 0x24,
                   FORM_strx1 = 0x25, FORM_strx2 = 0x26, FORM_strx3 = 0x27, FORM_strx4 = 0x28,
                   FORM_addrx1 = 0x29, FORM_addrx2 = 0x2a, FORM_addrx3 = 0x2b,
                   FORM_addrx4 = 0x2c, FORM_GNU_addr_index = 0x1f01,
                   FORM_GNU_str_index = 0x1f02, FORM_GNU_ref_alt = 0x1f20,
                   FORM_GNU_strp_alt = 0x1f21;

// Unit types (DWARF 5).
constexpr uint8_t UT_compile = 1, UT_type = 2, UT_partial = 3, UT_skeleton = 4,
                  UT_split_compile = 5, UT_split_type = 6;

// Base type encodings.
constexpr uint8_t ATE_address = 0x1, ATE_boolean = 0x2, ATE_complex_float = 0x3, ATE_float = 0x4,
                  ATE_signed = 0x5, ATE_signed_char = 0x6, ATE_unsigned = 0x7,
                  ATE_unsigned_char = 0x8, ATE_UTF = 0x10;

// Location expression operations we evaluate.
constexpr uint8_t OP_addr = 0x03, OP_constu = 0x10, OP_plus_uconst = 0x23, OP_addrx = 0xa1,
                  OP_GNU_addr_index = 0xfb;

}  // namespace dw
}  // namespace kvm
