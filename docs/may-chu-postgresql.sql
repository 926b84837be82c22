-- BVTE, chế độ "Máy chủ trong cơ quan": tạo cơ sở dữ liệu và hai vai trò (xem docs/may-chu-postgresql.md).
-- Chạy bằng psql với tài khoản quản trị PostgreSQL (postgres):  psql -U postgres -f may-chu-postgresql.sql
-- Trước khi chạy: thay hai mật khẩu dưới đây bằng mật khẩu dài, ngẫu nhiên (ít nhất 20 ký tự).

-- Phần 1: trong cơ sở dữ liệu "postgres".
CREATE ROLE bvte_owner LOGIN PASSWORD 'MẬT-KHẨU-CHỦ' NOSUPERUSER NOCREATEDB NOCREATEROLE;
CREATE ROLE bvte_app LOGIN PASSWORD 'MẬT-KHẨU-ỨNG-DỤNG' NOSUPERUSER NOCREATEDB NOCREATEROLE;
CREATE DATABASE bvte_db OWNER bvte_owner TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C';
REVOKE ALL ON DATABASE bvte_db FROM PUBLIC;
GRANT CONNECT ON DATABASE bvte_db TO bvte_owner, bvte_app;
\connect bvte_db
-- Phần 2: trong cơ sở dữ liệu mới. Vai trò ứng dụng chỉ đọc và ghi các dòng dữ liệu: không tạo, sửa hay xoá bảng.
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO bvte_app;
ALTER DEFAULT PRIVILEGES FOR ROLE bvte_owner IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO bvte_app;
ALTER DEFAULT PRIVILEGES FOR ROLE bvte_owner IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO bvte_app;
ALTER DEFAULT PRIVILEGES FOR ROLE bvte_owner IN SCHEMA public GRANT EXECUTE ON FUNCTIONS TO bvte_app;
